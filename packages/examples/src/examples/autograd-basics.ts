/**
 * The founding notebook, "autograd basics", ported cell by cell. Each notebook cell is a block;
 * a value the notebook displays (a cell's last expression) is printed.
 */
import * as torch from '@kindling/core';
import type { Example } from '../example.js';

export const autogradBasics: Example = {
  name: 'autograd-basics',
  description: 'requiresGrad, grad, gradFn, backward and noGrad on a 2x2 tensor',
  check: { kind: 'text' },
  run(print, { device }) {
    // We dont need to specify requires_grad = False, since by default it flags it as False
    const tensor = torch.tensor([[3, 4],
                                 [7, 5]], { device });
    print(tensor);

    // #### The requires_grad property defines whether to track operations on this tensor
    // By default, it is set to False
    print(tensor.requiresGrad);

    // #### The requires_grad_() function sets requires_grad to True
    print(tensor.requiresGrad_());
    print(tensor.requiresGrad);

    // #### The .grad property stores all the gradients for the tensor
    // However, there are no gradients yet
    print(tensor.grad);

    // #### The .grad_fn property contains the gradient function
    // This has not been set either
    print(tensor.gradFn);

    // #### Create a new output tensor from our original tensor
    let out = tensor.mul(tensor);

    // #### The requires_grad property has been derived from the original tensor
    print(out.requiresGrad);

    // #### There are still no gradients
    print(out.grad);

    // #### But there is a gradient function
    // This is from the multiplication operation performed on the original tensor
    print(out.gradFn);

    // #### The original tensor still does not have a gradient function
    print(tensor.gradFn);

    // #### Changing the operation for the output changes the gradient function
    // The gradient function only contains the last operation. Here, even though there is a
    // multiplication as well as a mean, only the mean calculation is recorded as the gradient function
    out = tensor.mul(tensor).mean();
    print(out.gradFn);

    // #### In spite of setting a gradient function for the output, the gradients for the input tensor is still empty
    print(tensor.grad);

    // #### To calculate the gradients, we need to explicitly perform a backward propagation
    out.backward();

    // #### The gradients are now available for the input tensor
    print(tensor.grad);

    // #### The requires_grad property propagates to other tensors
    // Here the new_tensor is created from the original tensor and gets the original's value of requires_grad
    let newTensor = tensor.mul(tensor);
    print(newTensor.requiresGrad);

    // #### Turning off gradient calculations for tensors
    // You can also stops autograd from tracking history on newly created tensors with requires_grad=True
    // by wrapping the code block in torch.noGrad(() => { ... })
    torch.noGrad(() => {
      newTensor = tensor.mul(tensor);
      print('new_tensor = ', newTensor);
      print('requires_grad for tensor = ', tensor.requiresGrad);
      print('requires_grad for new_tensor = ', newTensor.requiresGrad);
    });
  },
};
